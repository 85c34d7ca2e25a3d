"""Innovation Program Dashboard (산업혁신운동 성과 대시보드): shared code for the Streamlit pages."""
